/**
 * One refusal: a title, a fleet that breaks one rule, and the start of the line the refusal must
 * contain (`<field path>: <rule>`). Add a case to the file of the feature whose rule it checks.
 */
export type Case = [title: string, fleet: () => unknown, expected: string];
