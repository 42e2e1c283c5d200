/** Groups and communities (w:g2 IQs): what the services need from the engine. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the routes arrive
export interface GroupsPort {}
