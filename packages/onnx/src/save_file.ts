/** `saveModelFile(model, path, options)`: writes `exportModel`'s bytes to a file (Node.js). */
import { writeFile } from 'fs/promises';
import { exportModel, ExportableModel, ExportOptions } from './export_model';

/**
 * Writes the ONNX file of `model` to `path` (Node.js only) and returns its size in bytes.
 *
 * ```ts
 * await onnx.saveModelFile(model, 'model.onnx', {opset: 17});
 * ```
 */
export async function saveModelFile(model: ExportableModel, path: string, options: ExportOptions = {}): Promise<number> {
  if (typeof path !== 'string' || path.length === 0) throw new Error(`onnx.saveModelFile: path must be a non-empty string, received ${JSON.stringify(path)}.`);
  const bytes = exportModel(model, options);
  await writeFile(path.startsWith('file://') ? path.slice('file://'.length) : path, bytes);
  return bytes.length;
}
