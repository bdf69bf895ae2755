/**
 * The companion integration (server/src/admin/companion-routes.ts): where it stands, and the steps of
 * installing it from the panel. Every change is a POST with an empty JSON body.
 */
import { api } from './api';
import type { CompanionRestartAnswer, CompanionStatus } from '../../../server/src/admin/contract';

export type { CompanionState, CompanionStatus } from '../../../server/src/admin/contract';

/** What the card's buttons ask for: `install` also updates. */
export type CompanionAction = 'install' | 'setup' | 'restart' | 'remove';

export const fetchCompanion = () => api<CompanionStatus>('/companion');

export const installCompanion = () => api<CompanionStatus>('/companion/install', { json: {} });
export const setUpCompanion = () => api<CompanionStatus>('/companion/setup', { json: {} });
export const removeCompanion = () => api<CompanionStatus>('/companion/remove', { json: {} });
export const restartHomeAssistant = () => api<CompanionRestartAnswer>('/companion/restart', { json: {} });
