import type { en } from './en.js';

export type QueueName = 'pending' | 'spam' | 'reported' | 'rejected' | 'approved';
export type SortName = 'oldest' | 'newest' | 'priority';
export type DecisionName = 'approve' | 'reject' | 'spam';
export type RoleName = 'admin' | 'owner' | 'moderator';

/** Every string the moderation page shows: a language is one object of the English catalog's shape. */
export type ModerateMessages = typeof en;
