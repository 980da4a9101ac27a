/** Training callbacks: base classes, History, EarlyStopping, the progress bar, and the `callbacks` namespace. */
import { earlyStopping } from './early_stopping';
import { terminateOnNaN } from './terminate_on_nan';

export {
  BaseCallback, Callback, CustomCallback, CallbackList, History, standardizeCallbacks,
} from './callback';
export type { Logs, HookResult, TrainingParams, CallbackModel, CustomCallbackArgs, CallbackLike } from './callback';
export { EarlyStopping, earlyStopping } from './early_stopping';
export type { EarlyStoppingArgs } from './early_stopping';
export { TerminateOnNaN, terminateOnNaN } from './terminate_on_nan';
export type { TerminateOnNaNArgs, NonFiniteLossEvent } from './terminate_on_nan';
export {
  ProgbarLogger, formatProgressLine, formatBar, formatValue, formatEta, formatElapsed, formatPerStep, canPrintProgress,
} from './progress_bar';
export type { ProgressLineArgs, ProgbarLoggerArgs } from './progress_bar';

/** Callback factories, as tfjs's `tf.callbacks`: `callbacks.earlyStopping({patience: 2})`. */
export const callbacks = { earlyStopping, terminateOnNaN };
