import { packageConfig } from '../../rollup.shared.mjs';

export default packageConfig({ external: [] });
