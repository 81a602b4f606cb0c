/**
 * The model's version. It goes up with every change that moves results (golden files show it), and every
 * manifest carries it, so that results can be cited by version. See CHANGELOG.md.
 */
export const MODEL_VERSION = '0.4.0';
