/** `saveModelFile(model, path, options)`: writes `exportModel`'s bytes to a file (Node.js). */
import { exportModel, ExportableModel, ExportOptions } from './export_model';
import { ValueError } from '@recurrent/core';

/** The part of Node's fs/promises used here. */
interface NodeFs {
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

/** Node's fs/promises, imported lazily (as models' file:// handler does) so bundlers leave it out. */
async function nodeFs(): Promise<NodeFs> {
  const name = 'fs/promises';
  const fs = await import(/* webpackIgnore: true */ name);
  return (fs.default ?? fs) as NodeFs;
}

/**
 * Writes the ONNX file of `model` to `path` (a path or a file:// URL; Node.js only) and returns its size in bytes.
 *
 * ```ts
 * await onnx.saveModelFile(model, 'model.onnx', {opset: 17});
 * ```
 */
export async function saveModelFile(model: ExportableModel, path: string, options: ExportOptions = {}): Promise<number> {
  if (typeof path !== 'string' || path.length === 0)
    throw new ValueError(`onnx.saveModelFile: path must be a non-empty string, received ${JSON.stringify(path)}.`);
  const bytes = exportModel(model, options);
  const fs = await nodeFs();
  await fs.writeFile(path.startsWith('file://') ? path.slice('file://'.length) : path, bytes);
  return bytes.length;
}
