// Whether a downloaded file is a whole GGUF model, before anything takes it for one. node-llama-cpp
// parses the header (magic, version, metadata, tensor infos: readGgufFileInfo); the file must then
// be long enough for every tensor's data. Each tensor info gives where its data starts in the file
// (`fileOffset`: the aligned start of the data section plus the tensor's own offset), its
// dimensions and its ggml type; its length is ggml's `ggml_nbytes`: bytes per block × (ne0 / block
// size) × ne1 × ne2 × ne3. A file cut anywhere inside its tensor data (a truncated download served
// with a matching Content-Length) ends before the last tensor does and is refused. llama.cpp's
// loader makes the same check ("tensor data is not within the file bounds") but only once a model
// is loaded; here it runs on the header alone.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { GgufFileInfo } from 'node-llama-cpp';

/**
 * [elements per block, bytes per block] of each ggml type, by its number in the GGUF file (ggml.c's
 * type_traits; the numbers are node-llama-cpp's GgmlType). Types ggml removed (4, 5, 31–33, 36–38)
 * are absent: a tensor of one is refused. test/unit/ggufCheck.test.ts checks this table against
 * the bundled llama.cpp.
 */
export const GGML_BLOCKS: Readonly<Record<number, readonly [number, number]>> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
  40: [64, 36], // NVFP4
  41: [128, 18], // Q1_0
  42: [64, 18], // Q2_0
};

type TensorInfo = NonNullable<GgufFileInfo['tensorInfo']>[number];

/** `ggml_nbytes` of a tensor (see the header); throws for an unknown type or a row that is not whole blocks. */
export function tensorBytes(tensor: Pick<TensorInfo, 'name' | 'dimensions' | 'ggmlType'>): bigint {
  const block = GGML_BLOCKS[tensor.ggmlType];
  if (!block) throw new Error(`tensor ${tensor.name} has ggml type ${tensor.ggmlType}, which this version cannot load`);
  const [perBlock, blockBytes] = block.map(BigInt) as [bigint, bigint];
  const [ne0 = 1n, ...rest] = tensor.dimensions.map(BigInt);
  if (ne0 % perBlock !== 0n)
    throw new Error(`tensor ${tensor.name}: a row of ${ne0} is not whole blocks of ${perBlock}`);
  return rest.reduce((bytes, n) => bytes * n, (ne0 / perBlock) * blockBytes);
}

/** Where the last tensor's data ends: the length a whole file has at least. */
export function tensorDataEnd(info: Pick<GgufFileInfo, 'tensorInfo'>): bigint {
  let end = 0n;
  for (const tensor of info.tensorInfo ?? []) {
    const last = BigInt(tensor.fileOffset) + tensorBytes(tensor);
    if (last > end) end = last;
  }
  return end;
}

/** Refuses `file` unless it is a whole single-file GGUF model; the reason names `label`. Returns its size. */
export async function checkGgufFile(file: string, label: string): Promise<number> {
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const size = statSync(file).size;
  const magic = firstBytes(file, 4);
  if (magic !== 'GGUF') throw new Error(`${label} is not a GGUF file (it starts with ${JSON.stringify(magic)})`);
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false });
  } catch (error) {
    throw new Error(`${label} is not a whole GGUF file: its header does not parse (${(error as Error).message})`);
  }
  // The reader does not stop at the end of the file (it reads on as zeros): a header cut short is found by its length.
  if (info.infoEndOffset === undefined || size < info.infoEndOffset)
    throw new Error(`${label} is not a whole GGUF file: cut inside its header (${size} bytes)`);
  if (!info.tensorInfo?.length) throw new Error(`${label} holds no tensors: not a model`);
  const parts = Number((info.metadata as { split?: { count?: unknown } }).split?.count ?? 1);
  if (parts > 1) throw new Error(`${label} is one part of a model split in ${parts} files`);
  let end: bigint;
  try {
    end = tensorDataEnd(info);
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`);
  }
  if (BigInt(size) < end)
    throw new Error(`${label} is cut short: ${size} bytes, where its tensors need ${end} (an incomplete download)`);
  return size;
}

/** The first `n` bytes of `file`, as latin1 text (fewer when it is shorter). */
function firstBytes(file: string, n: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(n);
    return buffer.toString('latin1', 0, readSync(fd, buffer, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}
