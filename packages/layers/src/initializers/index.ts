/** The `initializers` namespace (tfjs `tf.initializers`), and lookup of initializers by identifier. */
import { deserialize, lookupByName, serialize, SerializedObject } from '../serialization/registry';
import type { ConfigDict } from '../serialization/registry';
import { Constant, ConstantArgs, Ones, Zeros } from './constant';
import { Identity, IdentityArgs } from './identity';
import { Initializer } from './initializer';
import { Orthogonal, OrthogonalArgs } from './orthogonal';
import { RandomNormal, RandomNormalArgs, RandomUniform, RandomUniformArgs, TruncatedNormal } from './random';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LeCunNormal,
  LeCunUniform,
  SeedOnlyInitializerArgs,
  VarianceScaling,
  VarianceScalingArgs,
} from './variance_scaling';

/** tfjs identifier strings (snake_case and class names are accepted too). */
export type InitializerIdentifier =
  | 'constant' | 'glorotNormal' | 'glorotUniform' | 'heNormal' | 'heUniform' | 'identity' | 'leCunNormal'
  | 'leCunUniform' | 'ones' | 'orthogonal' | 'randomNormal' | 'randomUniform' | 'truncatedNormal'
  | 'varianceScaling' | 'zeros' | string;

/** Factory functions, as `tf.initializers`: `initializers.glorotUniform({seed: 1})`. */
export const initializers = {
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (args: ConstantArgs) => new Constant(args),
  randomNormal: (args: RandomNormalArgs = {}) => new RandomNormal(args),
  randomUniform: (args: RandomUniformArgs = {}) => new RandomUniform(args),
  truncatedNormal: (args: RandomNormalArgs = {}) => new TruncatedNormal(args),
  varianceScaling: (args: VarianceScalingArgs = {}) => new VarianceScaling(args),
  glorotUniform: (args: SeedOnlyInitializerArgs = {}) => new GlorotUniform(args),
  glorotNormal: (args: SeedOnlyInitializerArgs = {}) => new GlorotNormal(args),
  heNormal: (args: SeedOnlyInitializerArgs = {}) => new HeNormal(args),
  heUniform: (args: SeedOnlyInitializerArgs = {}) => new HeUniform(args),
  leCunNormal: (args: SeedOnlyInitializerArgs = {}) => new LeCunNormal(args),
  leCunUniform: (args: SeedOnlyInitializerArgs = {}) => new LeCunUniform(args),
  orthogonal: (args: OrthogonalArgs = {}) => new Orthogonal(args),
  identity: (args: IdentityArgs = {}) => new Identity(args),
};

/**
 * An Initializer from an instance, an identifier string ('glorotUniform', 'glorot_uniform',
 * 'GlorotUniform') or a serialized `{className, config}`. Unknown names throw listing the known ones.
 */
export function getInitializer(identifier: InitializerIdentifier | Initializer | SerializedObject | ConfigDict): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') {
    const cls = lookupByName(identifier, 'initializer');
    return deserialize({ className: cls.className, config: {} }, 'initializer');
  }
  if (identifier && typeof identifier === 'object') return deserialize(identifier as SerializedObject, 'initializer');
  throw new Error(`getInitializer: expected an Initializer, a string or a {className, config} object, received ${String(identifier)}.`);
}

/** `{className, config}` of an initializer. */
export function serializeInitializer(initializer: Initializer): SerializedObject {
  return serialize(initializer);
}
