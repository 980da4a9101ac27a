/** Browser twin of save_file.ts: there is no file system; use `exportModel`'s bytes (e.g. a Blob download). */
import type { ExportableModel, ExportOptions } from './export_model';
import { ValueError } from '@recurrent/core';

/** Rejects: writing files needs Node.js. In a browser, use `exportModel(model)` and save the bytes as a Blob. */
export async function saveModelFile(_model: ExportableModel, path: string, _options: ExportOptions = {}): Promise<number> {
  throw new ValueError(
    `onnx.saveModelFile: writing '${path}' needs Node.js; in a browser use exportModel(model) and save the bytes (e.g. as a Blob).`,
  );
}
