import { InjectTransactionHost, Transactional as TransactionalOn } from '@nestjs-cls/transactional';

/**
 * The name of our transactional connection in nestjs-cls. A host that embeds the module may use
 * `@nestjs-cls/transactional` for its own database with the default (unnamed) connection; ours is
 * named, so the two TransactionHosts never replace each other.
 */
export const CUSTOMIZATION_TX = 'sales-customization';

/** `@Transactional()` on our connection: every service method that writes uses this one. */
export const Transactional = (): MethodDecorator => TransactionalOn(CUSTOMIZATION_TX);

/** Injects the TransactionHost of our connection (repositories and the tenant registry). */
export const InjectTxHost = (): PropertyDecorator & ParameterDecorator => InjectTransactionHost(CUSTOMIZATION_TX);
