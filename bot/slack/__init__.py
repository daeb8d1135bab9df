"""The Slack bot: `trialqa slack` (Socket Mode or HTTP). See deploy/README.md."""
