import { Directive, Field, ObjectType } from 'type-graphql';
import { normalizeDecimal } from './decimal.js';

@ObjectType({ description: 'An exact amount of money: `amount` is a decimal string, never a float.' })
@Directive('@shareable')
export class Money {
  @Field(() => String, { description: 'Decimal amount with two fraction digits, e.g. "1250.00".' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code.' })
  currency!: string;
}

export function money(amount: string | number | null | undefined, currency = 'USD'): Money {
  return { amount: normalizeDecimal(amount ?? '0'), currency };
}
