//+------------------------------------------------------------------+
//| WardenBridge.mq5                                                 |
//|                                                                  |
//| Warden's bridge expert advisor for MetaTrader 5. It speaks the   |
//| DWX ZeroMQ protocol (darwinex/dwx-zeromq-connector, BSD-3) as    |
//| Warden's `mt5` venue uses it, plus Warden's extensions: see      |
//| integrations/mt5/README.md. Written for Warden, not copied from  |
//| DWX_ZeroMQ_Server.                                               |
//|                                                                  |
//| NOT COMPILED IN WARDEN'S CI: there is no MetaEditor on the build |
//| machines. Compile it in MetaEditor (F7) before use; the protocol |
//| it speaks is checked against the adapter by                      |
//| test/venues/mt5/ea-protocol.test.ts, which reads this source.    |
//|                                                                  |
//| Needs mql-zmq (github.com/dingmaotu/mql-zmq, Apache-2.0):        |
//| MQL5/Include/Zmq, MQL5/Include/Mql, and libzmq.dll and           |
//| libsodium.dll in MQL5/Libraries; "Allow DLL imports" ticked.     |
//|                                                                  |
//| One file on purpose: it is the unit a user copies into           |
//| MQL5/Experts and compiles.                                       |
//+------------------------------------------------------------------+
#property copyright   "Warden contributors"
#property version     "1.00"
#property description "Warden's DWX-compatible ZeroMQ bridge: commands in on PUSH_PORT, replies out on PULL_PORT, prices on PUB_PORT."

#include <Zmq/Zmq.mqh>
#include <Trade/Trade.mqh>

//--- Ports keep DWX's names, seen from the client: Warden PUSHes commands to PUSH_PORT
//--- (its `command_port`), PULLs replies from PULL_PORT (`reply_port`) and SUBscribes to
//--- PUB_PORT (`price_port`).
input group "ZeroMQ"
input string BIND_ADDRESS = "127.0.0.1"; // Bind address (127.0.0.1: this machine only; * or a LAN IP: see README)
input int    PUSH_PORT    = 32768;       // Commands in (Warden command_port)
input int    PULL_PORT    = 32769;       // Replies out (Warden reply_port)
input int    PUB_PORT     = 32770;       // Prices out (Warden price_port)
input int    TIMER_MS     = 5;           // How often commands are read and prices published (ms)

input group "Trading"
input long   MagicNumber     = 0;     // Magic for a command that gives none (Warden always gives its own)
input int    MaximumOrders   = 100;   // Refuse OPEN when positions + pending orders reach this
input double MaximumLotSize  = 1.0;   // Refuse OPEN above this many lots (a last guard; Warden's risk gate comes first)
input int    MaximumSlippage = 10;    // Deviation allowed on market orders and closes (points)
input bool   AllowNetting    = false; // Trade a netting account too (see README: fills can be missed)

//--- The TRADE command's eleven `;`-separated fields.
#define F_ACTION  1
#define F_TYPE    2
#define F_SYMBOL  3
#define F_PRICE   4
#define F_SL      5
#define F_TP      6
#define F_COMMENT 7
#define F_LOTS    8
#define F_MAGIC   9
#define F_TICKET  10
#define TRADE_FIELDS 11

//--- Commands answered in one timer event at most (the rest wait for the next one, in order).
#define MAX_COMMANDS_PER_TIMER 32

enum WardenCommand
  {
   CMD_UNKNOWN,
   CMD_HEARTBEAT,
   CMD_TRACK_PRICES,
   CMD_SYMBOL_INFO,
   CMD_OPEN,
   CMD_MODIFY,
   CMD_CLOSE,
   CMD_CLOSE_PARTIAL,
   CMD_OPEN_TRADES,
   CMD_ACCOUNT_INFO
  };

//--- One ZeroMQ context for the life of the program; the sockets are made in OnInit and closed in
//--- OnDeinit, so that a change of inputs or timeframe (OnDeinit + OnInit, globals kept) binds again.
Context g_context("WardenBridge");
Socket *g_commands = NULL;   // PULL, bound on PUSH_PORT
Socket *g_replies  = NULL;   // PUSH, bound on PULL_PORT
Socket *g_prices   = NULL;   // PUB, bound on PUB_PORT
CTrade  g_trade;
string  g_tracked[];         // symbols whose prices are published (TRACK_PRICES)
string  g_lastQuote[];       // the last "bid;ask" published for each, so that only changes go out

//+------------------------------------------------------------------+
//| Lifecycle                                                        |
//+------------------------------------------------------------------+
int OnInit()
  {
   g_commands = OpenSocket(ZMQ_PULL, PUSH_PORT, "commands");
   g_replies  = OpenSocket(ZMQ_PUSH, PULL_PORT, "replies");
   g_prices   = OpenSocket(ZMQ_PUB, PUB_PORT, "prices");
   if(g_commands == NULL || g_replies == NULL || g_prices == NULL)
     {
      CloseSockets();
      return(INIT_FAILED);
     }
   g_trade.SetDeviationInPoints((ulong)MaximumSlippage);
   g_trade.SetAsyncMode(false);
   g_trade.LogLevel(LOG_LEVEL_ERRORS);
   ArrayResize(g_tracked, 0);
   ArrayResize(g_lastQuote, 0);
   if(!EventSetMillisecondTimer(TIMER_MS))
     {
      PrintFormat("WardenBridge: no %d ms timer (error %d)", TIMER_MS, GetLastError());
      CloseSockets();
      return(INIT_FAILED);
     }
   if(TerminalInfoInteger(TERMINAL_CONNECTED) != 0 && !IsHedging() && !AllowNetting)
      Print("WardenBridge: this is a netting account; orders are refused until AllowNetting is set (see README)");
   return(INIT_SUCCEEDED);
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   CloseSockets();
   PrintFormat("WardenBridge: stopped (reason %d), sockets closed", reason);
  }

void OnTick()
  {
   // A tick on the chart's symbol is as good a moment as any to publish.
   PublishPrices();
  }

void OnTimer()
  {
   if(g_commands == NULL || g_replies == NULL)
      return;
   for(int taken = 0; taken < MAX_COMMANDS_PER_TIMER; taken++)
     {
      ZmqMsg request;
      if(!g_commands.recv(request, true))
         break;   // nothing waiting
      string reply = Reply(request.getData());
      // Replies go out in the order the commands came: Warden pairs them by that order.
      if(reply != "" && !g_replies.send(reply, true))
         Print("WardenBridge: a reply could not be sent (is Warden connected?): ", reply);
     }
   PublishPrices();
  }

Socket *OpenSocket(const int type, const int port, const string role)
  {
   Socket *sock = new Socket(g_context, type);
   sock.setLinger(0);
   if(type != ZMQ_PULL)
      sock.setSendHighWaterMark(1000);
   string address = StringFormat("tcp://%s:%d", BIND_ADDRESS, port);
   // A socket closed a moment ago (inputs changed) may hold the port for a little while.
   for(int attempt = 0; attempt < 20; attempt++)
     {
      if(sock.bind(address))
        {
         PrintFormat("WardenBridge: %s bound on %s", role, address);
         return(sock);
        }
      Sleep(100);
     }
   PrintFormat("WardenBridge: cannot bind %s on %s: %s", role, address, Zmq::errorMessage(Zmq::errorNumber()));
   delete sock;
   return(NULL);
  }

void CloseSockets()
  {
   if(CheckPointer(g_commands) == POINTER_DYNAMIC)
      delete g_commands;
   if(CheckPointer(g_replies) == POINTER_DYNAMIC)
      delete g_replies;
   if(CheckPointer(g_prices) == POINTER_DYNAMIC)
      delete g_prices;
   g_commands = NULL;
   g_replies  = NULL;
   g_prices   = NULL;
  }

//+------------------------------------------------------------------+
//| Commands                                                         |
//+------------------------------------------------------------------+
WardenCommand CommandOf(const string head, const string action)
  {
   if(head == "HEARTBEAT")                              return(CMD_HEARTBEAT);
   if(head == "TRACK_PRICES")                           return(CMD_TRACK_PRICES);
   if(head == "DATA" && action == "SYMBOL_INFO")        return(CMD_SYMBOL_INFO);
   if(head == "TRADE" && action == "OPEN")              return(CMD_OPEN);
   if(head == "TRADE" && action == "MODIFY")            return(CMD_MODIFY);
   if(head == "TRADE" && action == "CLOSE")             return(CMD_CLOSE);
   if(head == "TRADE" && action == "CLOSE_PARTIAL")     return(CMD_CLOSE_PARTIAL);
   if(head == "TRADE" && action == "GET_OPEN_TRADES")   return(CMD_OPEN_TRADES);
   if(head == "TRADE" && action == "GET_ACCOUNT_INFO")  return(CMD_ACCOUNT_INFO);
   return(CMD_UNKNOWN);
  }

bool IsTradeCommand(const WardenCommand cmd)
  {
   return(cmd == CMD_OPEN || cmd == CMD_MODIFY || cmd == CMD_CLOSE || cmd == CMD_CLOSE_PARTIAL);
  }

//--- The reply to one command's text; "" for a command this EA does not know (no reply, as DWX).
string Reply(const string text)
  {
   string parts[];
   int count = StringSplit(text, ';', parts);
   if(count < 1)
      return("");
   WardenCommand cmd = CommandOf(parts[0], count > 1 ? parts[1] : "");
   if(cmd == CMD_UNKNOWN)
     {
      Print("WardenBridge: unknown command ignored: ", text);
      return("");
     }
   if(parts[0] == "TRADE" && count < TRADE_FIELDS)
     {
      Print("WardenBridge: a TRADE command needs 11 fields, ignored: ", text);
      return("");
     }
   string refused = Refusal(cmd);
   if(refused != "")
      return(refused);
   switch(cmd)
     {
      case CMD_HEARTBEAT:     return(ReplyHeartbeat());
      case CMD_TRACK_PRICES:  return(ReplyTrackPrices(parts, count));
      case CMD_SYMBOL_INFO:   return(ReplySymbolInfo(count > 2 ? parts[2] : ""));
      case CMD_OPEN:          return(ReplyOpen(parts));
      case CMD_MODIFY:        return(ReplyModify(parts));
      case CMD_CLOSE:         return(ReplyClose(parts));
      case CMD_CLOSE_PARTIAL: return(ReplyClosePartial(parts));
      case CMD_OPEN_TRADES:   return(ReplyOpenTrades());
      case CMD_ACCOUNT_INFO:  return(ReplyAccountInfo());
      default:                return("");
     }
  }

//--- DWX's CheckOpsStatus: a command refused before it is acted on, answered without `_action`.
string Refusal(const WardenCommand cmd)
  {
   // A symbol's figures are the terminal's own, right while the broker is away; the heartbeat
   // says the EA is there, not the broker (the account probe and the trade commands say that).
   if(cmd == CMD_HEARTBEAT || cmd == CMD_TRACK_PRICES || cmd == CMD_SYMBOL_INFO)
      return("");
   if(IsStopped())
      return("{'_response': 'EA_IS_STOPPED'}");
   if(TerminalInfoInteger(TERMINAL_CONNECTED) == 0)
      return("{'_response': 'NO_BROKER_CONNECTION__ABORTED_COMMAND'}");
   if(!IsTradeCommand(cmd))
      return("");
   if(TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) == 0)
      return("{'_response': 'TRADING_IS_NOT_ALLOWED__ABORTED_COMMAND', '_response_value': 'Algo Trading is off in the terminal'}");
   if(MQLInfoInteger(MQL_TRADE_ALLOWED) == 0)
      return("{'_response': 'EA_IS_DISABLED__ABORTED_COMMAND', '_response_value': 'Allow Algo Trading is off in the EA settings'}");
   if(AccountInfoInteger(ACCOUNT_TRADE_ALLOWED) == 0 || AccountInfoInteger(ACCOUNT_TRADE_EXPERT) == 0)
      return("{'_response': 'TRADING_IS_NOT_ALLOWED__ABORTED_COMMAND', '_response_value': 'the broker does not allow trading by experts on this account'}");
   if(!IsHedging() && !AllowNetting)
      return("{'_response': 'TRADING_IS_NOT_ALLOWED__ABORTED_COMMAND', '_response_value': 'a netting account: set AllowNetting to trade it (see README)'}");
   return("");
  }

string ReplyHeartbeat()
  {
   return("{'_action': 'heartbeat', '_response': 'loud and clear!'}");
  }

//--- TRACK_PRICES;SYM1;SYM2;... replaces the list of symbols published (none: publishing stops).
string ReplyTrackPrices(const string &parts[], const int count)
  {
   string errors = "";
   int asked = 0;
   ArrayResize(g_tracked, 0);
   ArrayResize(g_lastQuote, 0);
   for(int i = 1; i < count; i++)
     {
      string symbol = parts[i];
      if(symbol == "")
         continue;
      asked++;
      if(!SymbolSelect(symbol, true))
        {
         errors += (errors == "" ? "" : ", ") + PyStr(symbol);
         continue;
        }
      int n = ArraySize(g_tracked);
      ArrayResize(g_tracked, n + 1);
      ArrayResize(g_lastQuote, n + 1);
      g_tracked[n] = symbol;
      g_lastQuote[n] = "";
     }
   if(asked == 0)
      return("{'_action': 'TRACK_PRICES', '_data': {'symbol_count': 0}}");
   return("{'_action': 'TRACK_PRICES', '_data': {'symbol_count':" + IntegerToString(asked) + ", 'error_symbols':[" + errors + "]}}");
  }

//--- Warden's extension: DATA;SYMBOL_INFO;SYM, the figures Warden builds an instrument from.
string ReplySymbolInfo(const string symbol)
  {
   bool custom = false;
   if(symbol == "" || !SymbolExist(symbol, custom) || !SymbolSelect(symbol, true))
      return("{'_action': 'SYMBOL_INFO', '_symbol': " + PyStr(symbol) + ", '_response': 'NOT_FOUND'}");
   int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   return("{'_action': 'SYMBOL_INFO', '_symbol': " + PyStr(symbol)
          + ", '_digits': " + IntegerToString(digits)
          // A point finer than 8 places (digits > 8) keeps all its digits.
          + ", '_point': " + DoubleToString(SymbolInfoDouble(symbol, SYMBOL_POINT), MathMax(8, digits))
          + ", '_volume_min': " + Num(SymbolInfoDouble(symbol, SYMBOL_VOLUME_MIN))
          + ", '_volume_max': " + Num(SymbolInfoDouble(symbol, SYMBOL_VOLUME_MAX))
          + ", '_volume_step': " + Num(SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP))
          + ", '_contract_size': " + Num(SymbolInfoDouble(symbol, SYMBOL_TRADE_CONTRACT_SIZE))
          + ", '_currency_base': " + PyStr(SymbolInfoString(symbol, SYMBOL_CURRENCY_BASE))
          + ", '_currency_profit': " + PyStr(SymbolInfoString(symbol, SYMBOL_CURRENCY_PROFIT))
          + ", '_currency_margin': " + PyStr(SymbolInfoString(symbol, SYMBOL_CURRENCY_MARGIN))
          + "}");
  }

//--- TRADE;OPEN: a market order (type 0/1) or a pending one (2..5) at PRICE, SL/TP none.
//--- Warden's extension: a market order's volume filled (`_lots_filled`, less than asked when the
//--- trade server fills it in part, DONE_PARTIAL) and its deals (`_fills`); 0 and none for a
//--- pending order.
string ReplyOpen(const string &parts[])
  {
   string r = "{'_action': 'EXECUTION'";
   string symbol = SymbolOf(parts[F_SYMBOL]);
   int type = (int)StringToInteger(parts[F_TYPE]);
   double lots = StringToDouble(parts[F_LOTS]);
   long magic = MagicOf(parts[F_MAGIC]);
   if(lots > MaximumLotSize)
      return(r + ", '_response': 'LOT_SIZE_ERROR', 'response_value': 'MAX_LOT_SIZE_EXCEEDED'}");
   if(PositionsTotal() + OrdersTotal() >= MaximumOrders)
      return(r + ", '_response': 'NUM_ORDERS_ERROR', 'response_value': 'MAX_NUMBER_OF_ORDERS_EXCEEDED'}");
   if(!SymbolSelect(symbol, true))
      return(r + ", '_response': '4301', 'response_value': 'unknown symbol'}");
   if(type < ORDER_TYPE_BUY || type > ORDER_TYPE_SELL_STOP)
      return(r + ", '_response': '10035', 'response_value': 'invalid order type'}");
   double price = NormalizeDouble(StringToDouble(parts[F_PRICE]), (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS));
   if(!SendOpen(symbol, type, lots, price, magic, parts[F_COMMENT]))
      return(r + ", '_response': '" + FailureCode() + "', 'response_value': " + PyStr(FailureWords()) + "}");
   ulong ticket = g_trade.ResultOrder();
   bool market = (type == ORDER_TYPE_BUY || type == ORDER_TYPE_SELL);
   double opened = market ? FillPrice(ticket) : price;
   double filled = market ? g_trade.ResultVolume() : 0.0;
   string fills = market ? MarketFills(ticket, symbol, opened) : "[]";
   return(r + ", '_symbol': " + PyStr(symbol) + ", '_magic': " + IntegerToString(magic)
          + ", '_ticket': " + IntegerToString((long)ticket)
          + ", '_open_time': '" + TimeToString(TimeCurrent(), TIME_DATE | TIME_SECONDS) + "'"
          + ", '_open_price': " + Num(opened)
          + ", '_lots_filled': " + Lots(symbol, filled)
          + ", '_fills': " + fills + "}");
  }

bool SendOpen(const string symbol, const int type, const double lots, const double price, const long magic, const string comment)
  {
   g_trade.SetExpertMagicNumber((ulong)magic);
   // FOK where the symbol allows it (whole or not at all), else IOC: a part may fill, and the
   // reply says how much (`_lots_filled`); Warden cancels the rest, as the trade server has.
   g_trade.SetTypeFillingBySymbol(symbol);
   ResetLastError();
   bool sent = false;
   switch(type)
     {
      case ORDER_TYPE_BUY:        sent = g_trade.Buy(lots, symbol, 0.0, 0.0, 0.0, comment); break;
      case ORDER_TYPE_SELL:       sent = g_trade.Sell(lots, symbol, 0.0, 0.0, 0.0, comment); break;
      case ORDER_TYPE_BUY_LIMIT:  sent = g_trade.BuyLimit(lots, price, symbol, 0.0, 0.0, ORDER_TIME_GTC, 0, comment); break;
      case ORDER_TYPE_SELL_LIMIT: sent = g_trade.SellLimit(lots, price, symbol, 0.0, 0.0, ORDER_TIME_GTC, 0, comment); break;
      case ORDER_TYPE_BUY_STOP:   sent = g_trade.BuyStop(lots, price, symbol, 0.0, 0.0, ORDER_TIME_GTC, 0, comment); break;
      case ORDER_TYPE_SELL_STOP:  sent = g_trade.SellStop(lots, price, symbol, 0.0, 0.0, ORDER_TIME_GTC, 0, comment); break;
     }
   if(sent && g_trade.ResultRetcode() == TRADE_RETCODE_DONE_PARTIAL)
      PrintFormat("WardenBridge: order %I64u filled in part (%.8f of %.8f lots); the reply says so", g_trade.ResultOrder(), g_trade.ResultVolume(), lots);
   return(sent && Succeeded());
  }

//--- TRADE;MODIFY: a pending order's PRICE (0: unchanged); SL/TP in points from it, 0 meaning none
//--- (stock DWX would put a stop at the price itself). On a position, SL/TP only; a PRICE asked
//--- of a ticket that is a position (the pending order filled before the MODIFY came) is refused,
//--- NOT_PENDING, so that Warden reports the fill, not a new price for a filled order.
string ReplyModify(const string &parts[])
  {
   string r = "{'_action': 'MODIFY'";
   ulong ticket = (ulong)StringToInteger(parts[F_TICKET]);
   double slPoints = StringToDouble(parts[F_SL]);
   double tpPoints = StringToDouble(parts[F_TP]);
   double sl = 0.0;
   double tp = 0.0;
   bool done = false;
   ResetLastError();
   if(OrderSelect(ticket))
     {
      string symbol = OrderGetString(ORDER_SYMBOL);
      int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
      double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
      ENUM_ORDER_TYPE type = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
      bool buy = (type == ORDER_TYPE_BUY_LIMIT || type == ORDER_TYPE_BUY_STOP);
      double asked = StringToDouble(parts[F_PRICE]);
      double price = asked > 0.0 ? NormalizeDouble(asked, digits) : OrderGetDouble(ORDER_PRICE_OPEN);
      sl = StopPrice(price, slPoints, buy ? -point : point, digits);
      tp = StopPrice(price, tpPoints, buy ? point : -point, digits);
      done = g_trade.OrderModify(ticket, price, sl, tp,
                                 (ENUM_ORDER_TYPE_TIME)OrderGetInteger(ORDER_TYPE_TIME),
                                 (datetime)OrderGetInteger(ORDER_TIME_EXPIRATION)) && Succeeded();
     }
   else
     {
      ulong position = PositionTicketOf(ticket);
      if(position == 0)
         return(r + ", '_response': 'NOT_FOUND'}");
      if(StringToDouble(parts[F_PRICE]) > 0.0)
         return(r + ", '_response': 'NOT_PENDING', '_response_value': 'the ticket has filled: it is a position, not a pending order'}");
      string symbol = PositionGetString(POSITION_SYMBOL);
      int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
      double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
      bool buy = (PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY);
      double open = PositionGetDouble(POSITION_PRICE_OPEN);
      sl = StopPrice(open, slPoints, buy ? -point : point, digits);
      tp = StopPrice(open, tpPoints, buy ? point : -point, digits);
      done = g_trade.PositionModify(position, sl, tp) && Succeeded();
     }
   if(!done)
      return(r + ", '_response': '" + FailureCode() + "', '_response_value': " + PyStr(FailureWords())
             + ", '_sl_attempted': " + Num(sl) + ", '_tp_attempted': " + Num(tp) + "}");
   return(r + ", '_sl': " + Num(slPoints) + ", '_tp': " + Num(tpPoints) + "}");
  }

//--- TRADE;CLOSE: deletes a pending order, or closes a position at market, whole.
string ReplyClose(const string &parts[])
  {
   ulong ticket = (ulong)StringToInteger(parts[F_TICKET]);
   string r = "{'_action': 'CLOSE', '_ticket': " + IntegerToString((long)ticket);
   if(OrderSelect(ticket))
      return(r + DeletePending(ticket) + "}");
   ulong position = PositionTicketOf(ticket);
   if(position == 0)
      return(r + ", '_response': 'NOT_FOUND'}");
   double volume = PositionGetDouble(POSITION_VOLUME);
   ResetLastError();
   if(!g_trade.PositionClose(position) || !Succeeded())
      return(r + ", '_response': '" + FailureCode() + "', '_response_value': " + PyStr(FailureWords()) + "}");
   return(r + ", '_close_price': " + Num(CloseFillPrice()) + ", '_close_lots': " + Num(volume)
          + ", '_response': 'CLOSE_MARKET', '_response_value': 'SUCCESS'}");
  }

//--- TRADE;CLOSE_PARTIAL: LOTS of a position at market (less than the minimum, or more than it
//--- holds: the whole of it, as DWX); a pending order is deleted.
string ReplyClosePartial(const string &parts[])
  {
   ulong ticket = (ulong)StringToInteger(parts[F_TICKET]);
   string r = "{'_action': 'CLOSE', '_ticket': " + IntegerToString((long)ticket);
   if(OrderSelect(ticket))
      return(r + DeletePending(ticket) + "}");
   ulong position = PositionTicketOf(ticket);
   if(position == 0)
      return(r + ", '_response': 'NOT_FOUND'}");
   double held = PositionGetDouble(POSITION_VOLUME);
   double lots = StringToDouble(parts[F_LOTS]);
   if(lots < SymbolInfoDouble(PositionGetString(POSITION_SYMBOL), SYMBOL_VOLUME_MIN) || lots > held)
      lots = held;
   ResetLastError();
   bool done = (lots >= held) ? g_trade.PositionClose(position) : g_trade.PositionClosePartial(position, lots);
   if(!done || !Succeeded())
      return(r + ", '_response': '" + FailureCode() + "', '_response_value': " + PyStr(FailureWords()) + "}");
   return(r + ", '_response': 'CLOSE_PARTIAL', '_close_price': " + Num(CloseFillPrice()) + ", '_close_lots': " + Num(lots) + "}");
  }

//--- The CLOSE reply's tail for a pending order (selected): deleted, or why not.
string DeletePending(const ulong ticket)
  {
   ResetLastError();
   if(!g_trade.OrderDelete(ticket) || !Succeeded())
      return(", '_response': '" + FailureCode() + "', '_response_value': " + PyStr(FailureWords()));
   return(", '_response': 'CLOSE_PENDING', '_response_value': 'SUCCESS'");
  }

//--- TRADE;GET_OPEN_TRADES: every open position (type 0/1) and pending order (2..5) of the
//--- account, placed by Warden or not, keyed by ticket (a position by its identifier: the ticket
//--- of the order that opened it, the one Warden was told). Warden's extensions: each entry lists
//--- the deals that filled its order (`_fills`), and a pending order the volume filled so far
//--- (`_lots_filled`; `_lots` is what is left). A pending order filled in part is listed twice
//--- under its ticket: the position its deals opened, and the order still working (a Python
//--- client keeps the last, the order; Warden reads both).
string ReplyOpenTrades()
  {
   string items = "";
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      if(PositionGetTicket(i) == 0)
         continue;
      string symbol = PositionGetString(POSITION_SYMBOL);
      long opener = PositionGetInteger(POSITION_IDENTIFIER);
      string entry = IntegerToString(opener)
               + ": {'_magic': " + IntegerToString(PositionGetInteger(POSITION_MAGIC))
               + ", '_symbol': " + PyStr(symbol)
               + ", '_lots': " + Num(PositionGetDouble(POSITION_VOLUME))
               + ", '_type': " + IntegerToString(PositionGetInteger(POSITION_TYPE))
               + ", '_open_price': " + Num(PositionGetDouble(POSITION_PRICE_OPEN))
               + ", '_open_time': '" + TimeToString((datetime)PositionGetInteger(POSITION_TIME), TIME_DATE | TIME_SECONDS) + "'"
               + ", '_SL': " + Num(PositionGetDouble(POSITION_SL))
               + ", '_TP': " + Num(PositionGetDouble(POSITION_TP))
               + ", '_pnl': " + Num(PositionGetDouble(POSITION_PROFIT))
               + ", '_comment': " + PyStr(PositionGetString(POSITION_COMMENT));
      // The history is read once the position's own figures are written.
      items += (items == "" ? "" : ", ") + entry + ", '_fills': " + FillsOf((ulong)opener, symbol) + "}";
     }
   for(int i = OrdersTotal() - 1; i >= 0; i--)
     {
      ulong ticket = OrderGetTicket(i);
      if(ticket == 0)
         continue;
      long type = OrderGetInteger(ORDER_TYPE);
      // Market orders in flight and stop-limit orders are not DWX types: Warden would refuse the list.
      if(type < ORDER_TYPE_BUY_LIMIT || type > ORDER_TYPE_SELL_STOP)
         continue;
      string symbol = OrderGetString(ORDER_SYMBOL);
      double filled = OrderGetDouble(ORDER_VOLUME_INITIAL) - OrderGetDouble(ORDER_VOLUME_CURRENT);
      string entry = IntegerToString((long)ticket)
               + ": {'_magic': " + IntegerToString(OrderGetInteger(ORDER_MAGIC))
               + ", '_symbol': " + PyStr(symbol)
               + ", '_lots': " + Num(OrderGetDouble(ORDER_VOLUME_CURRENT))
               + ", '_type': " + IntegerToString(type)
               + ", '_open_price': " + Num(OrderGetDouble(ORDER_PRICE_OPEN))
               + ", '_open_time': '" + TimeToString((datetime)OrderGetInteger(ORDER_TIME_SETUP), TIME_DATE | TIME_SECONDS) + "'"
               + ", '_SL': " + Num(OrderGetDouble(ORDER_SL))
               + ", '_TP': " + Num(OrderGetDouble(ORDER_TP))
               + ", '_pnl': " + Num(0.0)
               + ", '_comment': " + PyStr(OrderGetString(ORDER_COMMENT))
               + ", '_lots_filled': " + Lots(symbol, filled);
      // The history is read only for an order filled in part (most are not).
      items += (items == "" ? "" : ", ") + entry + ", '_fills': " + (Lots(symbol, filled) == Num(0.0) ? "[]" : FillsOf(ticket, symbol)) + "}";
     }
   return("{'_action': 'OPEN_TRADES', '_trades': {" + items + "}}");
  }

//--- TRADE;GET_ACCOUNT_INFO (DWX's, MQL4 names kept): Warden's health probe reads account_number.
string ReplyAccountInfo()
  {
   return("{'_action': 'GET_ACCOUNT_INFORMATION', 'account_number':" + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN))
          + ", '_data': [{'currenttime': '" + TimeToString(TimeCurrent()) + "'"
          + ", 'account_name':" + PyStr(AccountInfoString(ACCOUNT_NAME))
          + ", 'account_balance':" + Num(AccountInfoDouble(ACCOUNT_BALANCE))
          + ", 'account_equity':" + Num(AccountInfoDouble(ACCOUNT_EQUITY))
          + ", 'account_profit':" + Num(AccountInfoDouble(ACCOUNT_PROFIT))
          + ", 'account_free_margin':" + Num(AccountInfoDouble(ACCOUNT_MARGIN_FREE))
          + ", 'account_leverage':" + IntegerToString(AccountInfoInteger(ACCOUNT_LEVERAGE))
          + "}]}");
  }

//+------------------------------------------------------------------+
//| Prices: SYMBOL:|:BID;ASK on the PUB socket, when they change      |
//+------------------------------------------------------------------+
void PublishPrices()
  {
   if(g_prices == NULL)
      return;
   for(int i = 0; i < ArraySize(g_tracked); i++)
     {
      MqlTick tick;
      if(!SymbolInfoTick(g_tracked[i], tick) || tick.bid <= 0.0 || tick.ask <= 0.0)
         continue;
      // The symbol's own digits, not DWX's %f (six places): a 7-digit price is not rounded.
      int digits = (int)SymbolInfoInteger(g_tracked[i], SYMBOL_DIGITS);
      string quote = DoubleToString(tick.bid, digits) + ";" + DoubleToString(tick.ask, digits);
      if(quote == g_lastQuote[i])
         continue;
      g_lastQuote[i] = quote;
      if(!g_prices.send(g_tracked[i] + ":|:" + quote, true))
         Print("WardenBridge: a price could not be published for ", g_tracked[i]);
     }
  }

//+------------------------------------------------------------------+
//| Helpers                                                          |
//+------------------------------------------------------------------+
//--- A Python string literal: quotes, backslashes and line breaks escaped (a comment typed at the
//--- terminal may hold any of them, and one bad reply would stall Warden's reading).
string PyStr(string text)
  {
   StringReplace(text, "\\", "\\\\");
   StringReplace(text, "'", "\\'");
   StringReplace(text, "\n", "\\n");
   StringReplace(text, "\r", "\\r");
   return("'" + text + "'");
  }

//--- A double as DWX writes it: DoubleToString's 8 places (Warden reads the text exactly).
string Num(const double value)
  {
   return(DoubleToString(value, 8));
  }

string SymbolOf(const string field)
  {
   return(field == "NULL" || field == "" ? _Symbol : field);
  }

long MagicOf(const string field)
  {
   long magic = StringToInteger(field);
   return(magic != 0 ? magic : MagicNumber);
  }

bool IsHedging()
  {
   return((ENUM_ACCOUNT_MARGIN_MODE)AccountInfoInteger(ACCOUNT_MARGIN_MODE) == ACCOUNT_MARGIN_MODE_RETAIL_HEDGING);
  }

//--- The last trade request went through (done, placed, or nothing to change).
bool Succeeded()
  {
   uint code = g_trade.ResultRetcode();
   return(code == TRADE_RETCODE_DONE || code == TRADE_RETCODE_DONE_PARTIAL || code == TRADE_RETCODE_PLACED || code == TRADE_RETCODE_NO_CHANGES);
  }

//--- The failure's number: the trade server's retcode, else the terminal's error.
string FailureCode()
  {
   uint code = g_trade.ResultRetcode();
   if(code != 0 && !Succeeded())
      return(IntegerToString(code));
   return(IntegerToString(GetLastError()));
  }

string FailureWords()
  {
   uint code = g_trade.ResultRetcode();
   if(code != 0 && !Succeeded())
      return(g_trade.ResultRetcodeDescription());
   return("MQL5 error " + IntegerToString(GetLastError()));
  }

//--- An absolute SL/TP `points` away from `base` (`step`: one point, signed); 0 points is none.
double StopPrice(const double base, const double points, const double step, const int digits)
  {
   if(points <= 0.0)
      return(0.0);
   return(NormalizeDouble(base + points * step, digits));
  }

//--- A position's ticket from the ticket Warden knows (the opening order's), or 0 if none is
//--- open; the position is left selected.
ulong PositionTicketOf(const ulong ticket)
  {
   if(PositionSelectByTicket(ticket))
      return(ticket);
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong position = PositionGetTicket(i);
      if(position != 0 && (ulong)PositionGetInteger(POSITION_IDENTIFIER) == ticket)
         return(position);
     }
   return(0);
  }

//--- The price a market order filled at: its deal's, else the result's, else the position's.
double FillPrice(const ulong order)
  {
   double price = DealPrice(g_trade.ResultDeal());
   if(price <= 0.0)
      price = g_trade.ResultPrice();
   if(price <= 0.0 && PositionTicketOf(order) != 0)
      price = PositionGetDouble(POSITION_PRICE_OPEN);
   return(price);
  }

//--- A market order's deals: the request's own deal, else those its ticket has in the history
//--- (none yet: Warden reads them later from GET_OPEN_TRADES).
string MarketFills(const ulong order, const string symbol, const double price)
  {
   ulong deal = g_trade.ResultDeal();
   if(deal == 0)
      return(FillsOf(order, symbol));
   return("[" + FillItem(deal, g_trade.ResultVolume(), price, symbol) + "]");
  }

//--- Warden's extension: the deals (entries in) that filled order `order` so far, from the history
//--- of the position it opened (whose identifier is the order's ticket on a hedging account), as
//--- [{'_deal': D, '_lots': L, '_price': P}, ...]. Warden names each fill by its deal, so a fill
//--- read twice (a reply, a poll, after a reconnect or a restart) counts once.
string FillsOf(const ulong order, const string symbol)
  {
   string items = "";
   if(!HistorySelectByPosition(order))
      return("[]");
   int deals = HistoryDealsTotal();
   for(int i = 0; i < deals; i++)
     {
      ulong deal = HistoryDealGetTicket(i);
      if(deal == 0 || (ulong)HistoryDealGetInteger(deal, DEAL_ORDER) != order)
         continue;
      ENUM_DEAL_ENTRY entry = (ENUM_DEAL_ENTRY)HistoryDealGetInteger(deal, DEAL_ENTRY);
      if(entry != DEAL_ENTRY_IN && entry != DEAL_ENTRY_INOUT)
         continue;
      items += (items == "" ? "" : ", ") + FillItem(deal, HistoryDealGetDouble(deal, DEAL_VOLUME), HistoryDealGetDouble(deal, DEAL_PRICE), symbol);
     }
   return("[" + items + "]");
  }

string FillItem(const ulong deal, const double volume, const double price, const string symbol)
  {
   return("{'_deal': " + IntegerToString((long)deal) + ", '_lots': " + Lots(symbol, volume) + ", '_price': " + Num(price) + "}");
  }

//--- Lots on the symbol's volume step, 8 places: a volume worked out in doubles (initial minus
//--- current) comes back onto the grid Warden checks it on.
string Lots(const string symbol, const double volume)
  {
   double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   if(step <= 0.0)
      return(Num(volume));
   return(Num(MathRound(volume / step) * step));
  }

//--- The price a close filled at: its deal's, else the result's.
double CloseFillPrice()
  {
   double price = DealPrice(g_trade.ResultDeal());
   return(price > 0.0 ? price : g_trade.ResultPrice());
  }

double DealPrice(const ulong deal)
  {
   if(deal == 0 || !HistoryDealSelect(deal))
      return(0.0);
   return(HistoryDealGetDouble(deal, DEAL_PRICE));
  }
//+------------------------------------------------------------------+
