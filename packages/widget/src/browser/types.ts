/** Shapes of the public read API (see API.md). */
export interface Author {
  name: string;
  url?: string | null;
  verified?: boolean;
  provider?: string;
  /** URL of the avatar; root-relative ones are on the api. */
  avatar?: string;
}

export interface Comment {
  id: string;
  parentId: string | null;
  author: Author;
  html: string;
  createdAt: string;
  votes?: { up: number; down: number };
  editedAt?: string;
  pinned?: boolean;
  /** Its writer deleted it; it stays as the parent of replies. */
  deleted?: boolean;
}

export interface ThreadInfo {
  key: string;
  title?: string | null;
  url?: string | null;
  closed: boolean;
  count: number;
  votes?: 'off' | 'up' | 'updown';
  editWindowMinutes?: number;
}

export interface ThreadPage {
  thread: ThreadInfo;
  comments: Comment[];
  nextCursor: string | null;
}

export interface ErrorBody {
  error?: {
    code?: string;
    message?: string;
    details?: { path?: string; message?: string }[];
    requestId?: string;
  };
}
