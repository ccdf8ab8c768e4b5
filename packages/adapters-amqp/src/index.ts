export { allowanceTopologyNames, assertAllowanceTopology } from './allowance-topology';
export type { AllowanceTopologyNames, AllowanceTopologyOptions } from './allowance-topology';
