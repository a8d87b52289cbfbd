// The testing entry point, `istio-multicluster/testing`: a stand-in cloud for unit tests of programs that use
// this library. test/api/istio-multicluster-testing.api.md records this surface.

export { setStandInMocks, StandInCloud } from "./standInCloud";
export type { SetStandInMocksArgs, StandInCloudOptions, StandInResource } from "./standInCloud";
