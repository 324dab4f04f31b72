import { Directive, Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An exact amount of money: `amount` is a decimal string, never a float.' })
@Directive('@shareable')
export class Money {
  @Field(() => String, { description: 'Decimal amount with two fraction digits, e.g. "1250.00".' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code.' })
  currency!: string;
}

export function money(amount: string | number | null | undefined, currency = 'USD'): Money {
  return { amount: toDecimal(amount ?? '0'), currency };
}

/** Normalises a numeric string from Postgres to two fraction digits without going through a float. */
export function toDecimal(value: string | number): string {
  const text = String(value);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '-' : ''}${whole || '0'}.${(fraction + '00').slice(0, 2)}`;
}
