// @stammtisch/spam: the pure spam stage (checks, classifier, scoring) and its evaluation.

export { loadBaseModel, buildBaseModel, shippedDatasets, SHIPPED_FILES } from './base-model.js';
export type { BaseModelOptions } from './base-model.js';
export { classifyComment, lessonFor, DEFAULT_SETTINGS } from './classify.js';
export { classifierFinding } from './classifier-finding.js';
export type { ClassifyOptions, ModerationStatus } from './classify.js';
export { featuresOf } from './features.js';
export {
  campaignSignals,
  checkCampaign,
  matchCampaign,
  textFingerprint,
  similarity,
  NEAR_COPY_SIMILARITY,
} from './campaign.js';
export type { CampaignSignal, SignalKind, StoredSignal } from './campaign.js';
export { emptyCounts, learn, siteModel, trainModel, SITE_WEIGHT } from './model.js';
export type { SpamModel, TrainingExample } from './model.js';
export { normalizeBody } from './text.js';
export type {
  CampaignMatches,
  CommentCandidate,
  LiveContext,
  Mode,
  Outcome,
  Reason,
  SpamSettings,
  TokenCounts,
  Verdict,
} from './types.js';
export { isUncertain, withOutsideOpinion } from './outside.js';
export type { OutsideOpinion } from './outside.js';
export { adaptThresholds, THRESHOLD_BOUNDS } from './thresholds.js';
export type { Overrides } from './thresholds.js';
