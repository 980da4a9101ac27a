/**
 * The table of built-in layer classes imported on first use (serialization/builtin_imports.ts, used by the
 * asynchronous loadLayersModel) names the same classes as the static list (builtins.ts), under their
 * classNames, with the same self-validating ones.
 */
import {
  BUILTIN_CLASSES,
  BUILTIN_LAYER_NAMES,
  BUILTINS,
  importBuiltinLayers,
  knownLayerClassNames,
  registerClass,
  Layer,
} from '@recurrent/layers';

describe('importBuiltinLayers', () => {
  const layerClasses = BUILTIN_CLASSES.filter((c) => c.serializableKind === 'layer');

  it('lists every built-in layer class of builtins.ts by className, and only those', () => {
    expect([...BUILTIN_LAYER_NAMES]).toEqual(layerClasses.map((c) => c.className).sort());
  });

  it('imports each one as the class of that name, marked self-validating as builtins.ts marks it', async () => {
    const got = await importBuiltinLayers(BUILTIN_LAYER_NAMES);
    expect(got.classes.map((c) => c.className)).toEqual([...BUILTIN_LAYER_NAMES]);
    for (const cls of got.classes) expect(layerClasses).toContain(cls);
    const selfValidating = (BUILTINS.selfValidating ?? []).filter((c) => c.serializableKind === 'layer');
    expect(new Set(got.selfValidating)).toEqual(new Set(selfValidating));
  });

  it('skips names that are not built-in layers, and imports each name once', async () => {
    const got = await importBuiltinLayers(['LSTM', 'Dense', 'LSTM', 'MyCustomLayer', 'GlorotUniform', 'Model']);
    expect(got.classes.map((c) => c.className)).toEqual(['LSTM', 'Dense']);
  });

  it('knownLayerClassNames lists the built-in and the registered layer classes', () => {
    class Knowable extends Layer {
      static override className = 'KnowableForTheImportTest';
    }
    registerClass(Knowable);
    expect(knownLayerClassNames()).toEqual(expect.arrayContaining(['Bidirectional', 'LSTM', 'KnowableForTheImportTest']));
  });
});
