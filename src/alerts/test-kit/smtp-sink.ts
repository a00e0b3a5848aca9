/**
 * TEST ONLY: an SMTP server on 127.0.0.1:0 that speaks enough of RFC 5321 to receive a message
 * (EHLO/HELO, STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with dot-unstuffing, RSET, QUIT), keeps what it
 * received, and can be told to misbehave: never greet, answer a step with an error, or stop answering
 * at a step (to test timeouts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket, type SecureContextOptions } from 'node:tls';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  /** The message as it arrived after dot-unstuffing, CRLF line ends. */
  readonly data: string;
  /** The authenticated user, if any. */
  readonly user: string | null;
  readonly secure: boolean;
}

export interface SinkOptions {
  /** Accounts for AUTH (user → password); none: AUTH is not offered. */
  readonly users?: Record<string, string>;
  readonly mechanisms?: readonly string[];
  /** Offer STARTTLS with this certificate. */
  readonly tls?: SecureContextOptions;
  /** TLS from the first byte (port 465 style) with this certificate. */
  readonly implicitTls?: SecureContextOptions;
  /** Never send the 220 greeting. */
  readonly silent?: boolean;
  /** Answer this command verb (e.g. "MAIL", "DATA", "EHLO") with this reply line. */
  readonly failAt?: { readonly verb: string; readonly reply: string };
  /** Stop answering at this verb (the client must time out). */
  readonly hangAt?: string;
  /** Refuse these recipients with 550. */
  readonly refuseRecipients?: readonly string[];
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Every command line received, in order (AUTH payloads included). */
  readonly commands: string[];
  close(): Promise<void>;
}

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const accept = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, options, mails, commands, (s) => sockets.add(s), options.implicitTls !== undefined);
  };
  const server: Server = options.implicitTls ? createTlsServer(options.implicitTls, accept) : createServer(accept);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    mails,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function serve(plain: Socket, options: SinkOptions, mails: ReceivedMail[], commands: string[], track: (s: Socket) => void, tlsFromStart: boolean): void {
  let socket: Socket = plain;
  let secure = tlsFromStart;
  let user: string | null = null;
  let from: string | null = null;
  let to: string[] = [];
  let data: string[] | null = null;
  let login: { step: 'user' | 'password'; name?: string } | null = null;
  let buffer = '';
  let hung = false;
  const say = (line: string): void => void socket.write(`${line}\r\n`);
  const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
  const checkLogin = (name: string, password: string): void => {
    if (options.users?.[name] === password) {
      user = name;
      say('235 2.7.0 Authentication successful');
    } else {
      say('535 5.7.8 Authentication credentials invalid');
    }
  };

  const line = (text: string): void => {
    if (data !== null) {
      if (text === '.') {
        mails.push({ from: from ?? '', to, data: data.join('\r\n') + '\r\n', user, secure });
        data = null;
        say('250 2.0.0 Ok: queued as TEST1');
        return;
      }
      data.push(text.startsWith('.') ? text.slice(1) : text);
      return;
    }
    commands.push(text);
    if (login !== null) {
      if (login.step === 'user') {
        login = { step: 'password', name: b64(text) };
        say('334 UGFzc3dvcmQ6');
      } else {
        const name = login.name ?? '';
        login = null;
        checkLogin(name, b64(text));
      }
      return;
    }
    const verb = text.split(/[ :]/)[0]!.toUpperCase();
    if (options.hangAt === verb) {
      hung = true;
      return;
    }
    if (options.failAt?.verb === verb) {
      say(options.failAt.reply);
      return;
    }
    switch (verb) {
      case 'EHLO': {
        const ext = ['250-sink.test greets you', '250-8BITMIME'];
        if (options.tls && !secure) ext.push('250-STARTTLS');
        if (options.users) ext.push(`250-AUTH ${(options.mechanisms ?? ['PLAIN', 'LOGIN']).join(' ')}`);
        ext.push('250 SIZE 1000000');
        socket.write(ext.join('\r\n') + '\r\n');
        return;
      }
      case 'HELO':
        return say('250 sink.test');
      case 'STARTTLS': {
        say('220 2.0.0 Ready to start TLS');
        const tlsSocket = new TLSSocket(socket, { isServer: true, ...options.tls });
        track(tlsSocket);
        socket.removeAllListeners('data');
        socket = tlsSocket;
        secure = true;
        buffer = '';
        socket.setEncoding('latin1');
        socket.on('data', onData);
        socket.on('error', () => socket.destroy());
        return;
      }
      case 'AUTH': {
        const [, mech, initial] = text.split(' ');
        if (mech?.toUpperCase() === 'PLAIN' && initial) {
          const [, name, password] = b64(initial).split('\0');
          checkLogin(name ?? '', password ?? '');
        } else if (mech?.toUpperCase() === 'LOGIN') {
          login = { step: 'user' };
          say('334 VXNlcm5hbWU6');
        } else {
          say('504 5.5.4 Unrecognized authentication type');
        }
        return;
      }
      case 'MAIL':
        if (options.users && user === null) return say('530 5.7.0 Authentication required');
        from = /<([^>]*)>/.exec(text)?.[1] ?? '';
        to = [];
        return say('250 2.1.0 Ok');
      case 'RCPT': {
        const address = /<([^>]*)>/.exec(text)?.[1] ?? '';
        if (options.refuseRecipients?.includes(address)) return say('550 5.1.1 No such user here');
        to.push(address);
        return say('250 2.1.5 Ok');
      }
      case 'DATA':
        if (to.length === 0) return say('503 5.5.1 No valid recipients');
        data = [];
        return say('354 End data with <CR><LF>.<CR><LF>');
      case 'RSET':
        from = null;
        to = [];
        return say('250 2.0.0 Ok');
      case 'QUIT':
        say('221 2.0.0 Bye');
        socket.end();
        return;
      default:
        say('502 5.5.2 Command not recognized');
    }
  };

  function onData(chunk: string): void {
    if (hung) return;
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\r\n')) >= 0 && !hung) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      const before = socket;
      line(text);
      if (socket !== before) break;
    }
  }

  plain.setEncoding('latin1');
  plain.on('data', onData);
  plain.on('error', () => plain.destroy());
  if (!options.silent) say('220 sink.test ESMTP test sink');
}
