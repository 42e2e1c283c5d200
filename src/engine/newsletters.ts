/** Newsletters (channels): what the services need from the engine. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the routes arrive
export interface NewslettersPort {}
