export { type Clinic, demoClinics, type Scenario } from './clinics.js';
export { type DemoOptions, type DemoResult, runDemo } from './demo.js';
export { type BrokerNodeState, clinicOnDay } from './simulate.js';
