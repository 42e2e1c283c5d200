/** Calls, status posts, labels, business, devices and app-state/history sync: what the services need from the engine. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the routes arrive
export interface ExtrasPort {}
