import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType()
export class Account {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'An API key. The token itself is shown only once, by createApiKey.' })
export class ApiKey {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'The first characters of the token, to recognise it.' }) prefix: string;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field() createdAt: Date;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey: ApiKey;
  @Field({ description: 'hk_live_… Store it now: Hookline keeps only its hash.' }) token: string;
}

@ObjectType({ description: 'The caller: the account and the API key the request was made with.' })
export class Me {
  @Field(() => Account) account: Account;
  @Field(() => ApiKey) apiKey: ApiKey;
}
