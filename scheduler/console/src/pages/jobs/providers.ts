/** The providers of the sandbox and the demo, offered as suggestions; any other code can be typed. */
export const KNOWN_PROVIDERS = ['yookassa', 'sber', 'acme'];
