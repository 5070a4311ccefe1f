import { Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: "An agent of the calling platform (its own id); its webhooks hear only events whose payload's agent_id is it." })
export class Agent {
  @Field(() => ID, { description: "The producer's own id, e.g. 9fbef0b7-8d4e-4a08-9207-66c22155721d." }) id: string;
  @Field() name: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class UpsertAgentInput {
  @Field(() => ID, { description: '1–120 letters, digits or _ . : -' }) id: string;
  @Field({ nullable: true, description: 'Required for a new agent; at most 255 characters.' }) name?: string;
}
