export { CLINIC_PLACES, type Clinic, clinicMappingEntry, demoClinics, type Scenario } from './clinics.js';
export { type DemoOptions, type DemoResult, feedClinic, runDemo } from './demo.js';
export { type BrokerNodeState, clinicOnDay } from './simulate.js';
