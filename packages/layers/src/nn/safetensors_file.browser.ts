/**
 * The browser build's stand-in of safetensors_file.ts (swapped in by the layers package's browser build): same
 * exports and argument checks, but the functions reject — files need Node.js. Use nn.saveSafetensors /
 * nn.loadSafetensors on bytes in a browser.
 */
import type { StateDict } from './module';
import type { SaveSafetensorsOptions } from './safetensors';

/** The error of the file helpers outside Node. */
export function needsNode(fn: string): Error {
  // eslint-disable-next-line no-restricted-syntax -- an environment failure (no Node fs), not a bad argument
  return new Error(
    `${fn}: reading and writing files needs Node.js (fs); in a browser use nn.saveSafetensors / nn.loadSafetensors on bytes. (This is the browser build.)`,
  );
}

/** Browser stand-in: rejects. */
export async function saveSafetensorsFile(_path: string, _stateDict: StateDict, _options: SaveSafetensorsOptions = {}): Promise<void> {
  throw needsNode('nn.saveSafetensorsFile');
}

/** Browser stand-in: rejects. */
export async function loadSafetensorsFile(_path: string): Promise<StateDict> {
  throw needsNode('nn.loadSafetensorsFile');
}
