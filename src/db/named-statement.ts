/** A statement sent without Prisma; on PostgreSQL prepared once per connection under its name. */
export interface NamedStatement {
  name: string;
  text: string;
}
