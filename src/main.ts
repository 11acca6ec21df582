import { config as loadDotenv } from "dotenv";
import { HELP } from "./cli/cli.js";

loadDotenv({ quiet: true });

// The Telegram bot is the next milestone; until it lands, `npm start` explains the CLI that already works.
process.stdout.write(`The Telegram bot is not built yet. The command-line client works today:\n\n${HELP}`);
process.stdout.write(
  "\nExample: node dist/cli/main.js models list   (or, from a checkout: npm run cli -- models list)\n",
);
