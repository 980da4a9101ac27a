/** Training callbacks: base classes, History, EarlyStopping, the progress bar, and the `callbacks` namespace. */
import { earlyStopping } from './early_stopping';

export {
  BaseCallback, Callback, CustomCallback, CallbackList, History, standardizeCallbacks,
} from './callback';
export type { Logs, HookResult, TrainingParams, CallbackModel, CustomCallbackArgs, CallbackLike } from './callback';
export { EarlyStopping, earlyStopping } from './early_stopping';
export type { EarlyStoppingArgs } from './early_stopping';
export {
  ProgbarLogger, formatProgressLine, formatBar, formatValue, formatEta, formatElapsed, formatPerStep, canPrintProgress,
} from './progress_bar';
export type { ProgressLineArgs, ProgbarLoggerArgs } from './progress_bar';

/** Callback factories, as tfjs's `tf.callbacks`: `callbacks.earlyStopping({patience: 2})`. */
export const callbacks = { earlyStopping };
