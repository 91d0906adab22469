package io.datapass.agent;

import io.datapass.common.AgentCommand;

/**
 * A role of the agent image: its name (the entrypoint's first argument), a line of help, and its
 * command.
 */
record Role(String name, String summary, AgentCommand command) {}
