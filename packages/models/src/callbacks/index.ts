/** Training callbacks: base classes, History, EarlyStopping, the progress bar, and the `callbacks` namespace. */
import { earlyStopping } from './early_stopping';
import { reduceLROnPlateau } from './reduce_lr_on_plateau';
import { learningRateScheduler } from './learning_rate_scheduler';
import { terminateOnNaN } from './terminate_on_nan';
import { modelCheckpoint } from './model_checkpoint';
import { csvLogger } from './csv_logger';
import { backupAndRestore } from './backup_and_restore';
import { progress } from './progress_view';
import { historyChart } from './history_chart';

export { BaseCallback, Callback, CustomCallback, CallbackList, History, standardizeCallbacks } from './callback';
export type { Logs, HookResult, TrainingParams, CallbackModel, CustomCallbackArgs, CallbackLike } from './callback';
export { EarlyStopping, earlyStopping } from './early_stopping';
export type { EarlyStoppingArgs } from './early_stopping';
export { TerminateOnNaN, terminateOnNaN } from './terminate_on_nan';
export type { TerminateOnNaNArgs, NonFiniteLossEvent } from './terminate_on_nan';
export {
  ProgbarLogger,
  formatProgressLine,
  formatBar,
  formatValue,
  formatEta,
  formatElapsed,
  formatPerStep,
  canPrintProgress,
} from './progress_bar';
export type { ProgressLineArgs, ProgbarLoggerArgs } from './progress_bar';

export { ReduceLROnPlateau, reduceLROnPlateau } from './reduce_lr_on_plateau';
export type { ReduceLROnPlateauArgs } from './reduce_lr_on_plateau';
export { LearningRateScheduler, learningRateScheduler } from './learning_rate_scheduler';
export { ModelCheckpoint, modelCheckpoint, formatCheckpointPath } from './model_checkpoint';
export type { ModelCheckpointArgs } from './model_checkpoint';
export { CSVLogger, csvLogger } from './csv_logger';
export { BackupAndRestore, backupAndRestore } from './backup_and_restore';
export type { BackupAndRestoreArgs } from './backup_and_restore';
export { historyChart } from './history_chart';
export type { HistoryChartOptions } from './history_chart';
export { ProgressView, progress } from './progress_view';
export type { ProgressElement, ProgressViewOptions } from './progress_view';

/**
 * Callback factories, as tfjs's `tf.callbacks` plus Keras's: `callbacks.earlyStopping({patience: 2})`,
 * `reduceLROnPlateau`, `learningRateScheduler`, `terminateOnNaN`, `modelCheckpoint`, `csvLogger` (Node),
 * `backupAndRestore` (Node), `progress(element)` (browser), and the `historyChart` SVG helper.
 */
export const callbacks = {
  earlyStopping,
  reduceLROnPlateau,
  learningRateScheduler,
  terminateOnNaN,
  modelCheckpoint,
  csvLogger,
  backupAndRestore,
  progress,
  historyChart,
};
