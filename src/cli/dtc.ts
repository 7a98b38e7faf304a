import { CliError, CommandHandler, EXIT } from './args';

// Placeholder until the DTC layer lands: fails loudly, never pretends to work.
export const dtcCommand: CommandHandler = async () => {
  throw new CliError('dtc decode/encode is not built yet in this build', EXIT.RUNTIME);
};
export const simulateCommand: CommandHandler = async () => {
  throw new CliError('simulate is not built yet in this build', EXIT.RUNTIME);
};
