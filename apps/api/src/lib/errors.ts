/** An error a client can act on: it becomes `{error: {code, message}}` with `status`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { details?: { path: string; message: string }[]; suggestions?: string[] } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found`);
export const forbidden = (message = 'Your role does not allow this action') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message);
export const conflict = (code: string, message: string, suggestions?: string[]) =>
  new AppError(409, code, message, suggestions ? { suggestions } : {});
export const badRequest = (code: string, message: string, details?: { path: string; message: string }[]) =>
  new AppError(400, code, message, details ? { details } : {});
