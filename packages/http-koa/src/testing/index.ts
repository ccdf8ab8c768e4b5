export { probeLiveness } from './liveness-probe';
