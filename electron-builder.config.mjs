// Installers for the desktop app (`npm run dist`): AppImage and deb on Linux, dmg on macOS, NSIS
// on Windows, into release/. The app is electron-vite's build (out/) plus resources/, which
// resourcePaths.ts finds inside app.asar; electron-builder adds the production dependencies.
//
// Native code cannot load from inside app.asar: node-llama-cpp, its prebuilt binaries
// (@node-llama-cpp/*), onnxruntime-node and sharp (used by @huggingface/transformers) are unpacked
// next to it. Only this platform's binaries are packed. The CUDA and Vulkan builds of llama.cpp
// (~600 MB on Linux x64) are left out unless DRPO_GPU_BUILDS=1: the CPU build runs everywhere.
//
// npmRebuild is off: every native module here ships N-API binaries, which Electron loads as they
// are, so there is nothing to rebuild (and @electron/rebuild wants Node 22).

const gpuBuilds = process.env.DRPO_GPU_BUILDS === '1';
// electron-builder's own macros, expanded per target: `linux-x64*`, `mac-arm64*`, `win-x64*`…
// biome-ignore lint/suspicious/noTemplateCurlyInString: an electron-builder macro, not a JS template
const llamaTarget = '${os}-${arch}*';
// …and `linux/x64`, `darwin/arm64`, `win32/x64` (onnxruntime-node's folder names).
// biome-ignore lint/suspicious/noTemplateCurlyInString: an electron-builder macro, not a JS template
const onnxTarget = '${platform}/${arch}';

export default {
  appId: 'org.drpostudio.studio',
  productName: 'DRPO Studio',
  icon: 'resources/icon.png',
  directories: { output: 'release' },
  npmRebuild: false,
  asar: true,
  files: [
    'out/**',
    'resources/**',
    'package.json',
    '!**/*.map',
    // node-llama-cpp's binaries: this platform's only (the pattern of its own Electron template).
    '!node_modules/node-llama-cpp/bins/**',
    `node_modules/node-llama-cpp/bins/${llamaTarget}/**`,
    '!node_modules/node-llama-cpp/llama/localBuilds/**',
    `node_modules/node-llama-cpp/llama/localBuilds/${llamaTarget}/**`,
    '!node_modules/@node-llama-cpp/*/bins/**',
    `node_modules/@node-llama-cpp/${llamaTarget}/bins/**`,
    ...(gpuBuilds ? [] : ['!node_modules/@node-llama-cpp/*-{cuda,cuda-ext,vulkan}/**']),
    // onnxruntime-node ships every platform's runtime (~290 MB): keep this one's.
    '!node_modules/onnxruntime-node/bin/napi-v6/**',
    `node_modules/onnxruntime-node/bin/napi-v6/${onnxTarget}/**`,
  ],
  asarUnpack: [
    'node_modules/node-llama-cpp/bins/**',
    'node_modules/node-llama-cpp/llama/localBuilds/**',
    'node_modules/@node-llama-cpp/**',
    'node_modules/onnxruntime-node/bin/**',
    'node_modules/sharp/**',
    'node_modules/@img/**',
    '**/*.node',
  ],
  // Help › Open the README opens this copy, outside the archive where other programs can read it.
  extraResources: ['README.md'],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    // `drpo-studio` is the CLI's name: the desktop app's command must not take it.
    executableName: 'drpo-studio-desktop',
    maintainer: 'DRPO Studio contributors',
    synopsis: 'Align a language model without training it',
  },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
  win: { target: ['nsis'] },
};
