"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DomainEventBus = void 0;
/** Fans one announcement out to many listeners; a failing listener never breaks the domain. */
class DomainEventBus {
    onError;
    listeners = [];
    constructor(onError = () => undefined) {
        this.onError = onError;
    }
    subscribe(listener) {
        this.listeners.push(listener);
    }
    emit(name, args) {
        for (const l of this.listeners) {
            const fn = l[name];
            if (!fn)
                continue;
            try {
                fn.apply(l, args);
            }
            catch (e) {
                this.onError(e);
            }
        }
    }
    webhookChanged(accountId) {
        this.emit('webhookChanged', [accountId]);
    }
    eventsPublished(accountId, events, deliveryCount, firstDueAt) {
        this.emit('eventsPublished', [accountId, events, deliveryCount, firstDueAt]);
    }
    deliveriesUpdated(deliveries) {
        this.emit('deliveriesUpdated', [deliveries]);
    }
}
exports.DomainEventBus = DomainEventBus;
