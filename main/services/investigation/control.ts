// What route handlers and other features may ask of the investigation feature (issue 6).
import type { EvidenceActions } from '../contracts';

export interface InvestigationControl extends EvidenceActions {}
