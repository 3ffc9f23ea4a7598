/**
 * A cheap exact type equality for the shape rule tests (src/shapes/*.test-d.ts).
 *
 * `assertEqual<A, B>()` compiles only when A and B are identical types (TypeScript's own
 * identity relation, the one it uses to compare generic signatures). It asserts what vitest's
 * `expectTypeOf<A>().toEqualTypeOf<B>()` asserts, at about a quarter of the type instantiations
 * (the DeepBrand comparison that builds both types' structure), so the type budget
 * (scripts/type-budget.ts) measures the shape rules, not the assertion helper.
 */
export type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

/** Compiles only when A and B are the same type; nothing happens at run time. */
export function assertEqual<A, B>(..._proof: Equal<A, B> extends true ? [] : [never]): void {}
