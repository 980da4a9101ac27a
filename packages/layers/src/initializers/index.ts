/** The `initializers` namespace (tfjs `tf.initializers`), and lookup of initializers by identifier. */
import { describeValue } from '../engine/args';
import { checkArgsOf, deserializeIdentifier, serialize, SerializedObject } from '../serialization/registry';
import type { BuiltinClasses, ConfigDict } from '../serialization/registry';
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
import { ValueError } from '@recurrent/core';

/** tfjs identifier strings (snake_case and class names are accepted too). */
export type InitializerIdentifier =
  | 'constant'
  | 'glorotNormal'
  | 'glorotUniform'
  | 'heNormal'
  | 'heUniform'
  | 'identity'
  | 'leCunNormal'
  | 'leCunUniform'
  | 'ones'
  | 'orthogonal'
  | 'randomNormal'
  | 'randomUniform'
  | 'truncatedNormal'
  | 'varianceScaling'
  | 'zeros'
  | string;

/** The built-in initializer classes (found by name and from `{className, config}` without registration). */
export const BUILTIN_INITIALIZERS: BuiltinClasses = {
  classes: [
    Zeros,
    Ones,
    Constant,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    GlorotUniform,
    GlorotNormal,
    HeNormal,
    HeUniform,
    LeCunNormal,
    LeCunUniform,
    Orthogonal,
    Identity,
  ],
};

/** Constructs `cls` from `args`, then validates the args against its config (unknown keys, booleans, numbers). */
function make<A, T>(cls: new (a: A) => T, args: A): T {
  const obj = new cls(args);
  checkArgsOf(obj, args);
  return obj;
}

/** Factory functions, as `tf.initializers`: `initializers.glorotUniform({seed: 1})`. */
export const initializers = {
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (args: ConstantArgs) => make(Constant, args),
  randomNormal: (args: RandomNormalArgs = {}) => make(RandomNormal, args),
  randomUniform: (args: RandomUniformArgs = {}) => make(RandomUniform, args),
  truncatedNormal: (args: RandomNormalArgs = {}) => make(TruncatedNormal, args),
  varianceScaling: (args: VarianceScalingArgs = {}) => make(VarianceScaling, args),
  glorotUniform: (args: SeedOnlyInitializerArgs = {}) => make(GlorotUniform, args),
  glorotNormal: (args: SeedOnlyInitializerArgs = {}) => make(GlorotNormal, args),
  heNormal: (args: SeedOnlyInitializerArgs = {}) => make(HeNormal, args),
  heUniform: (args: SeedOnlyInitializerArgs = {}) => make(HeUniform, args),
  leCunNormal: (args: SeedOnlyInitializerArgs = {}) => make(LeCunNormal, args),
  leCunUniform: (args: SeedOnlyInitializerArgs = {}) => make(LeCunUniform, args),
  orthogonal: (args: OrthogonalArgs = {}) => make(Orthogonal, args),
  identity: (args: IdentityArgs = {}) => make(Identity, args),
};

/**
 * An Initializer from an instance, an identifier string ('glorotUniform', 'glorot_uniform',
 * 'GlorotUniform') or a serialized `{className, config}`. Unknown names throw listing the known ones.
 */
export function getInitializer(identifier: InitializerIdentifier | Initializer | SerializedObject | ConfigDict): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string' || (identifier && typeof identifier === 'object')) {
    return deserializeIdentifier(identifier as string | SerializedObject, 'initializer', BUILTIN_INITIALIZERS);
  }
  throw new ValueError(
    `getInitializer: expected an Initializer, a string or a {className, config} object, received ${describeValue(identifier)}.`,
  );
}

/** `{className, config}` of an initializer. */
export function serializeInitializer(initializer: Initializer): SerializedObject {
  return serialize(initializer);
}
