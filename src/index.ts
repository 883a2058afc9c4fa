/**
 * The service's public entry points, for code that embeds or measures it (the bench) rather than
 * running `npm start`: configuration, the services a process shares, the HTTP app, and the helpers
 * that connect a user without a browser (a password grant, as the sandbox offers) or sign an app token.
 */
export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger } from './logger.js';
export { createServices, type Services } from './services.js';
export { createApp, PLUGIN_NAMES, type App, type AppDependencies, type PluginName } from './server.js';
export { signAppToken } from './auth/appTokens.js';
export { passwordGrant } from './auth/imanageOAuth.js';
