/** How many transforms are active (the trace stack's depth above eval); kept apart to avoid import cycles. */
let depth = 0;

export const traceDepth = (): number => depth;

export function setTraceDepth(d: number): void {
  depth = d;
}
