import { DataSource } from 'typeorm';
import { AgentEntity } from '../db/entities/agent.entity';
import { invalidInput, notFound, Violation } from './errors';

/** Producer-owned ids (agents, like campaigns, live in the calling platform): letters, digits and _ . : - */
export const PRODUCER_ID = /^[A-Za-z0-9_.:-]{1,120}$/;

export interface AgentInput {
  id: string;
  name?: string | null;
}

/** Agents mirrored from the producer: each scopes webhooks to the events that carry its `agent_id`. */
export class AgentService {
  constructor(private readonly ds: DataSource) {}

  private repo() {
    return this.ds.getRepository(AgentEntity);
  }

  list(accountId: string): Promise<AgentEntity[]> {
    return this.repo().find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The account's agent, or NOT_FOUND. */
  async get(accountId: string, id: string): Promise<AgentEntity> {
    const agent = await this.repo().findOneBy({ accountId, id });
    if (!agent) throw notFound('Agent', id);
    return agent;
  }

  /** Creates the agent, or renames it when it exists. */
  async upsert(accountId: string, input: AgentInput): Promise<AgentEntity> {
    const existing = await this.repo().findOneBy({ accountId, id: input.id });
    const violations: Violation[] = [];
    if (!PRODUCER_ID.test(input.id)) violations.push({ field: 'id', rule: 'invalid', message: 'must be 1–120 letters, digits or _ . : -' });
    if (!existing && !input.name) violations.push({ field: 'name', rule: 'required', message: 'is required for a new agent' });
    if (input.name != null && (input.name.length === 0 || input.name.length > 255)) {
      violations.push({ field: 'name', rule: 'maxLength', args: [255], message: 'must be 1 to 255 characters' });
    }
    if (violations.length) throw invalidInput(violations);
    const now = new Date();
    const agent: AgentEntity = existing ?? { accountId, id: input.id, name: input.name!, createdAt: now, updatedAt: now };
    if (input.name) agent.name = input.name;
    agent.updatedAt = now;
    await this.repo().save(agent);
    return agent;
  }
}
