export { RuleBroken, type RuleKind } from './ruleBroken.ts';
