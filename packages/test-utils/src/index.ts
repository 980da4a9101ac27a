/**
 * @recurrent/test-utils — test helpers shared by the packages' tests (private: never published).
 * Tests import it as `@recurrent/test-utils` (jest's moduleNameMapper and tsconfig paths map it to this src).
 */
export { checkGradients, randomInput } from './grad_check';
export type { GradCheckOptions, GradCheckReport } from './grad_check';
