/** Metrics (tfjs-layers semantics), the `metrics` namespace and `getMetric`. */
export { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, precision, recall, r2Score } from './metrics';
export { metrics, getMetric, metricName } from './get_metric';
export { topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, auc, perplexity } from './ranking_metrics';
export type { ResolvedMetric } from './get_metric';
