// Vitest exposes import.meta.env values as strings, so the build flag FIREFOX arrives as "false",
// which is truthy. Unit tests exercise the Chrome build: make the flag falsy, as the bundler's
// `false` is. A test of a Firefox branch stubs FIREFOX itself.
import { vi } from 'vitest';

vi.stubEnv('FIREFOX', '');
