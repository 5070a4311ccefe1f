import { ArrayMaxSize, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum CampaignStatusEnum {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
}
registerEnumType(CampaignStatusEnum, { name: 'CampaignStatus' });

@ObjectType({ description: 'A campaign mirrored from the calling platform, for the is_conversion filter.' })
export class Campaign {
  @Field(() => ID, { description: "The producer's own id, e.g. camp_abc123." }) id: string;
  @Field() name: string;
  @Field(() => [String], { description: 'Dispositions that count as a conversion.' }) conversionOutcomes: string[];
  @Field(() => CampaignStatusEnum) status: CampaignStatusEnum;
  @Field(() => String, { nullable: true, description: "The campaign's own webhook target." }) webhookUrl: string | null;
  @Field(() => [String], { nullable: true, description: 'Events sent to webhookUrl; null: every campaign.* and call.* event naming the campaign.' })
  webhookEvents: string[] | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class UpsertCampaignInput {
  @Field(() => ID) @MinLength(1, { message: 'is required' }) @MaxLength(120, { message: 'must be at most 120 characters' })
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'may contain only letters, digits and _ . : -' })
  id: string;

  @Field({ nullable: true }) @IsOptional() @MinLength(1, { message: 'must not be empty' }) @MaxLength(255, { message: 'must be at most 255 characters' })
  name?: string;

  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(100, { message: 'must contain at most 100 outcomes' })
  @MaxLength(100, { each: true, message: 'each outcome must be at most 100 characters' })
  conversionOutcomes?: string[];

  @Field(() => CampaignStatusEnum, { nullable: true }) @IsOptional()
  status?: CampaignStatusEnum;

  @Field({
    nullable: true,
    description: "The campaign's own webhook target (as in the TopCalls campaign's webhook_url): its campaign.* events and the call.* events naming it are delivered there, signed with the account secret. '' clears it.",
  })
  webhookUrl?: string;

  @Field(() => [String], { nullable: true, description: 'Which of those events (default: all of them).' })
  webhookEvents?: string[];
}
