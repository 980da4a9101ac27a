/**
 * Old location of the gradient checker, kept only so that tests written against it (on branches merged
 * after the move) still compile: import from '@recurrent/test-utils' instead. Delete once nothing uses it.
 */
export * from '@recurrent/test-utils';
