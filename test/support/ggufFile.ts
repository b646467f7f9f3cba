// A GGUF file written by hand from the format's specification (ggml's docs/gguf.md, version 3):
// "GGUF", version u32, tensor count u64, metadata count u64, the metadata (key as u64 length +
// bytes, value type u32, value), the tensor infos (name, dimension count u32, dimensions u64 each,
// ggml type u32, offset u64 from the start of the data section), zero padding to the alignment
// (32), then the tensors' data, each tensor starting on a multiple of 32. The caller gives each
// tensor's data length, worked out by hand, so tests compare against figures they state.

export interface GgufTensorSpec {
  name: string;
  dims: number[];
  /** ggml type number: 0 F32, 12 Q4_K… */
  type: number;
  /** The tensor's data length in bytes (ggml_nbytes). */
  bytes: number;
}

const ALIGNMENT = 32;

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u64(bytes.length), bytes]);
}
const pad = (n: number) => (ALIGNMENT - (n % ALIGNMENT)) % ALIGNMENT;

/** The file, with the data section filled with a pattern (so that a resumed copy can be compared byte for byte). */
export function ggufFile(tensors: GgufTensorSpec[], architecture = 'llama'): Buffer {
  const head = [Buffer.from('GGUF'), u32(3), u64(tensors.length), u64(1), str('general.architecture'), u32(8)];
  head.push(str(architecture));
  let offset = 0;
  for (const t of tensors) {
    head.push(str(t.name), u32(t.dims.length), ...t.dims.map(u64), u32(t.type), u64(offset));
    offset += t.bytes + pad(t.bytes);
  }
  const header = Buffer.concat(head);
  const data = Buffer.alloc(offset);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  return Buffer.concat([header, Buffer.alloc(pad(header.length)), data]);
}
