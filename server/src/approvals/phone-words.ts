/**
 * The words of an approval question on a phone (phone-channel.ts), in the language the user chose in
 * their Home Assistant profile: the notification's title ("Claude wants to unlock Front Door"), its text and
 * its two buttons. A phone shows what it is sent, so the server words it. The actions are the panel's own
 * (ui/src/translations/*.json `approvals.actions`; a unit test holds the two together). In English it is the
 * question the client is asked, too (gate.ts `questionOf`).
 */
import { matchLanguage, type Language } from '../admin/languages.js';
import { verbKind, type Action } from './actions.js';

interface Words {
  unnamedClient: string;
  /** "{client} wants to {change}" */
  wants(client: string, change: string): string;
  actions: Record<Action, (what: string) => string>;
  call(action: string, what: string): string;
  /** No entity named: every entity of these domains. */
  every(domains: string): string;
  message(seconds: number): string;
  allow: string;
  deny: string;
}

const WORDS: Record<Language, Words> = {
  en: {
    unnamedClient: 'An MCP client',
    wants: (client, change) => `${client} wants to ${change}`,
    actions: {
      turn_on: (w) => `turn on ${w}`,
      turn_off: (w) => `turn off ${w}`,
      lock: (w) => `lock ${w}`,
      unlock: (w) => `unlock ${w}`,
      open: (w) => `open ${w}`,
      close: (w) => `close ${w}`,
      toggle: (w) => `toggle ${w}`,
      set_position: (w) => `set the position of ${w}`,
      run: (w) => `run ${w}`,
      use: (w) => `use ${w}`,
    },
    call: (action, w) => `call ${action} on ${w}`,
    every: (domains) => `every ${domains}`,
    message: (s) => `Allow within ${s} seconds? Asked through the MCP Server add-on.`,
    allow: 'Allow',
    deny: 'Deny',
  },
  de: {
    unnamedClient: 'Ein MCP-Client',
    wants: (client, change) => `${client} möchte: ${change}`,
    actions: {
      turn_on: (w) => `${w} einschalten`,
      turn_off: (w) => `${w} ausschalten`,
      lock: (w) => `${w} verriegeln`,
      unlock: (w) => `${w} entriegeln`,
      open: (w) => `${w} öffnen`,
      close: (w) => `${w} schließen`,
      toggle: (w) => `${w} umschalten`,
      set_position: (w) => `die Position von ${w} einstellen`,
      run: (w) => `${w} ausführen`,
      use: (w) => `${w} verwenden`,
    },
    call: (action, w) => `${action} für ${w} aufrufen`,
    every: (domains) => `alle ${domains}`,
    message: (s) => `Innerhalb von ${s} Sekunden erlauben? Gefragt über das Add-on MCP Server.`,
    allow: 'Erlauben',
    deny: 'Ablehnen',
  },
  fr: {
    unnamedClient: 'Un client MCP',
    wants: (client, change) => `${client} souhaite ${change}`,
    actions: {
      turn_on: (w) => `allumer ${w}`,
      turn_off: (w) => `éteindre ${w}`,
      lock: (w) => `verrouiller ${w}`,
      unlock: (w) => `déverrouiller ${w}`,
      open: (w) => `ouvrir ${w}`,
      close: (w) => `fermer ${w}`,
      toggle: (w) => `basculer ${w}`,
      set_position: (w) => `régler la position de ${w}`,
      run: (w) => `exécuter ${w}`,
      use: (w) => `utiliser ${w}`,
    },
    call: (action, w) => `appeler ${action} sur ${w}`,
    every: (domains) => `tous les ${domains}`,
    message: (s) => `Autoriser dans les ${s} secondes ? Demandé via le module complémentaire MCP Server.`,
    allow: 'Autoriser',
    deny: 'Refuser',
  },
  nl: {
    unnamedClient: 'Een MCP-client',
    wants: (client, change) => `${client} wil ${change}`,
    actions: {
      turn_on: (w) => `${w} inschakelen`,
      turn_off: (w) => `${w} uitschakelen`,
      lock: (w) => `${w} vergrendelen`,
      unlock: (w) => `${w} ontgrendelen`,
      open: (w) => `${w} openen`,
      close: (w) => `${w} sluiten`,
      toggle: (w) => `${w} omschakelen`,
      set_position: (w) => `de positie van ${w} instellen`,
      run: (w) => `${w} uitvoeren`,
      use: (w) => `${w} gebruiken`,
    },
    call: (action, w) => `${action} aanroepen voor ${w}`,
    every: (domains) => `alle ${domains}`,
    message: (s) => `Binnen ${s} seconden toestaan? Gevraagd via de add-on MCP Server.`,
    allow: 'Toestaan',
    deny: 'Weigeren',
  },
  es: {
    unnamedClient: 'Un cliente MCP',
    wants: (client, change) => `${client} quiere ${change}`,
    actions: {
      turn_on: (w) => `encender ${w}`,
      turn_off: (w) => `apagar ${w}`,
      lock: (w) => `bloquear ${w}`,
      unlock: (w) => `desbloquear ${w}`,
      open: (w) => `abrir ${w}`,
      close: (w) => `cerrar ${w}`,
      toggle: (w) => `alternar ${w}`,
      set_position: (w) => `ajustar la posición de ${w}`,
      run: (w) => `ejecutar ${w}`,
      use: (w) => `usar ${w}`,
    },
    call: (action, w) => `llamar a ${action} en ${w}`,
    every: (domains) => `todos los ${domains}`,
    message: (s) => `¿Permitir en ${s} segundos? Solicitado a través del complemento MCP Server.`,
    allow: 'Permitir',
    deny: 'Denegar',
  },
};

const wordsFor = (tag: string | undefined) => WORDS[matchLanguage(tag) ?? 'en'];

/** The action words of a language, for the test that holds them to the panel's. */
export const actionWords = (language: Language) => WORDS[language].actions;

export interface PhoneText {
  title: string;
  message: string;
  allow: string;
  deny: string;
}

/** A change as a question words it: who asks, the server's verb, and what it would change. */
export interface Change {
  clientName: string | null;
  verb: string;
  /** The names of what it would change; empty when it names none. */
  entities: string[];
  /** The domains it would change when it names no entity. */
  domains: string[];
}

/**
 * The question in a language (a profile's tag; English when there are no words for it): "Claude wants to
 * unlock Front Door". A verb without words stays as the server names it.
 */
export function questionIn(tag: string | undefined, change: Change): string {
  const words = wordsFor(tag);
  const what =
    change.entities.length > 0
      ? change.entities.join(', ')
      : change.domains.length > 0
        ? words.every(change.domains.join(', '))
        : '';
  const kind = verbKind(change.verb);
  const done =
    'call' in kind
      ? words.call(kind.call, what)
      : 'action' in kind
        ? words.actions[kind.action](what)
        : `${kind.other} ${what}`;
  return words.wants(change.clientName ?? words.unnamedClient, done.trim());
}

/** A question's notification in a language: the question, its text and the two buttons. */
export function phoneText(tag: string | undefined, change: Change, seconds: number): PhoneText {
  const words = wordsFor(tag);
  return {
    title: questionIn(tag, change),
    message: words.message(seconds),
    allow: words.allow,
    deny: words.deny,
  };
}
