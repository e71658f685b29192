/** Shapes of the public read API (see API.md). */
export interface Author {
  name: string;
  url?: string | null;
  verified?: boolean;
  provider?: string;
}

export interface Comment {
  id: string;
  parentId: string | null;
  author: Author;
  html: string;
  createdAt: string;
}

export interface ThreadInfo {
  key: string;
  title?: string | null;
  url?: string | null;
  closed: boolean;
  count: number;
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
