// The benchmark model as a user plugin, for runs that measure the engine alone (overhead.perf.ts).
// Each call yields to the event loop once (setImmediate), as a real backend's I/O would, so the
// benchmark's memory sampler gets its turn; it adds no latency.
import type { BackendPlugin, GenerateRequest } from '../../../../src/plugins/contract.js';
import { BenchModel } from '../../benchModel.js';

class YieldingBenchModel extends BenchModel {
  override async generate(request: GenerateRequest) {
    await new Promise((resolve) => setImmediate(resolve));
    return super.generate(request);
  }
}

const plugin: BackendPlugin = {
  create: async (settings) => new YieldingBenchModel({ textChars: Number(settings.textChars ?? 0) }),
};
export default plugin;
